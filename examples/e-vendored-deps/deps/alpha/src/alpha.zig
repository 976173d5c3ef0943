pub const table = @import("table");
pub const banner = "alpha 1.2.0";
