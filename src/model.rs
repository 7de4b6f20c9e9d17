//! Formulation.
