"""Group formation: forming working groups from registrations (the engine lives in ``engine``)."""
