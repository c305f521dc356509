"""Goals that plan the work: a revenue target worked backwards through measured conversion to daily activity."""
