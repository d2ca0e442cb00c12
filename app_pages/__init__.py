"""Pages of the Streamlit dashboard (routed by ``dashboard.py`` with ``st.navigation``)."""
