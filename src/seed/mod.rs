//! Data for people to look at: the documents' sample tenants and users.

pub mod demo;
