"""The blank page the app's pages are measured against (Streamlit's own cost of a run)."""

import streamlit as st

st.write("blank")
