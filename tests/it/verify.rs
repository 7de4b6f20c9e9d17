//! Tests of verify.
