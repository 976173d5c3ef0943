const std = @import("std");

/// Pads `s` on the left with `fill` up to `width` bytes.
pub fn leftPad(a: std.mem.Allocator, s: []const u8, width: usize, fill: u8) ![]u8 {
    const n = @max(width, s.len);
    const out = try a.alloc(u8, n);
    @memset(out[0 .. n - s.len], fill);
    @memcpy(out[n - s.len ..], s);
    return out;
}

test leftPad {
    const r = try leftPad(std.testing.allocator, "7", 3, '0');
    defer std.testing.allocator.free(r);
    try std.testing.expectEqualStrings("007", r);
}
