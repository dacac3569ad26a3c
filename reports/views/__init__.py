"""Staff report screens, a module per screen: dashboards (unit, city) and suggestions."""
