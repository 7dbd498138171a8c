//! Configuration: the builder, the environment, the base URL (region, edge, loopback) and the
//! credentials.

pub(crate) mod builder;
pub(crate) mod credentials;
pub(crate) mod endpoint;
pub(crate) mod env;
pub(crate) mod proxy;
