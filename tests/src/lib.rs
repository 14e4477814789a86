//! Integration tests live in the `integration` test target; this library is empty.
