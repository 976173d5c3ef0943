const std = @import("std");

pub fn greeting(buf: []u8, name: []const u8) ![]u8 {
    return std.fmt.bufPrint(buf, "Hello, {s}!", .{name});
}

test greeting {
    var buf: [32]u8 = undefined;
    try std.testing.expectEqualStrings("Hello, Zig!", try greeting(&buf, "Zig"));
}
