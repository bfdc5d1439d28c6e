"""The dashboard's routes: sign-in, jobs, advice and recommendations."""
