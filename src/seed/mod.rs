//! Data for people to look at: the documents' sample tenants, their users and
//! their business data.

pub mod business;
pub mod demo;
