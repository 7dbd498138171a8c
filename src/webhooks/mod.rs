//! Factors: placeholder until the factors handle lands.
