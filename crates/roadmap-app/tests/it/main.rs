//! The application layer's tests: use cases over a real database file, against servers on the
//! loopback interface.

mod addresses;
mod odd_objects;
mod outside_first;
mod writes_in_flight;
