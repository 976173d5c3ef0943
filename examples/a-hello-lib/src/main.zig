const std = @import("std");
const greet = @import("greet");

pub fn main() !void {
    var args = std.process.args();
    _ = args.skip();
    var buf: [256]u8 = undefined;
    const line = try greet.greeting(&buf, args.next() orelse "world");
    try std.io.getStdOut().writer().print("{s}\n", .{line});
}

test "main compiles" {
    std.testing.refAllDecls(@This());
}
