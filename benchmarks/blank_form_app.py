"""A blank page with one form of four radios (Streamlit's own cost of a form submit, for bench_burst.py)."""

import streamlit as st

with st.form("wsj_form_blank"):
    for n in range(4):
        st.radio(f"q{n}", [1, 2, 3, 4, 5], key=f"wsj_ans_{n}", index=None)
    st.form_submit_button("submit")
