//! `trustctl`: the vendor command line.

fn main() {}
