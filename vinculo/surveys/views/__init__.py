"""Survey pages, one module per audience: builder, responses, distribution (staff);
respond, kiosk, widget (respondents); entry (agents interviewing by phone or in person)."""
