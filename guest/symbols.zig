//! Name of a custom step's make function, e.g. `build.ValidateIcons.make`: the only trace of a custom
//! step's concrete type, which `*Step` does not expose. A function pointer is meaningless as a number
//! (a table index on wasm32, an address natively), so it is resolved to the linker's symbol name from
//! the running binary itself, which gives the same fully qualified Zig name on both:
//!   wasm32: `.sandbuild/build.wasm` below the package root (the file the sandbox runs; read through
//!           WASI like any package file): element section (table index -> function index) and the
//!           "name" custom section (function index -> name). Core spec §5.5.12, appendix "Name Section".
//!   native: the ELF symbol table of /proc/self/exe (non-PIE executables, which `zig build-exe` makes).
//! Anything unexpected gives null: the name is a hint for the auditor, never a reason to fail.

const std = @import("std");
const builtin = @import("builtin");
const Allocator = std.mem.Allocator;

const is_wasm = builtin.cpu.arch.isWasm();
pub const self_path = if (is_wasm) ".sandbuild/build.wasm" else "/proc/self/exe";
const max_self_size = 256 << 20;

pub const Symbols = struct {
    arena: Allocator,
    bytes: ?[]const u8 = null,
    loaded: bool = false,

    pub fn nameOf(s: *Symbols, ptr: usize) ?[]const u8 {
        if (!s.loaded) {
            s.loaded = true;
            s.bytes = std.fs.cwd().readFileAlloc(s.arena, self_path, max_self_size) catch null;
        }
        const bytes = s.bytes orelse return null;
        return (if (is_wasm) wasmName(bytes, ptr) else elfName(bytes, ptr)) catch null;
    }
};

// wasm ---------------------------------------------------------------------------------------------

const Reader = struct {
    b: []const u8,
    i: usize = 0,

    fn byte(r: *Reader) !u8 {
        if (r.i >= r.b.len) return error.Truncated;
        r.i += 1;
        return r.b[r.i - 1];
    }
    fn u32leb(r: *Reader) !u32 {
        var result: u32 = 0;
        var shift: u5 = 0;
        while (true) {
            const x = try r.byte();
            result |= @as(u32, x & 0x7f) << shift;
            if (x & 0x80 == 0) return result;
            if (shift >= 28) return error.BadLeb;
            shift += 7;
        }
    }
    fn slice(r: *Reader, n: usize) ![]const u8 {
        if (n > r.b.len - r.i) return error.Truncated;
        r.i += n;
        return r.b[r.i - n .. r.i];
    }
};

fn wasmName(bytes: []const u8, table_index: usize) !?[]const u8 {
    if (bytes.len < 8 or !std.mem.eql(u8, bytes[0..4], "\x00asm")) return error.NotWasm;
    var r: Reader = .{ .b = bytes, .i = 8 };
    var func_index: ?u32 = null;
    var names: ?[]const u8 = null;
    while (r.i < bytes.len) {
        const id = try r.byte();
        const body = try r.slice(try r.u32leb());
        var s: Reader = .{ .b = body };
        if (id == 9) {
            // Element segments; LLVM emits kind 0: `i32.const OFFSET end`, then a vector of function indices.
            const count = try s.u32leb();
            for (0..count) |_| {
                if (try s.u32leb() != 0) return null;
                if (try s.byte() != 0x41) return null; // i32.const
                const offset = try s.u32leb();
                if (try s.byte() != 0x0b) return null; // end
                const n = try s.u32leb();
                for (0..n) |k| {
                    const f = try s.u32leb();
                    if (offset + k == table_index) func_index = f;
                }
            }
        } else if (id == 0) {
            const name = try s.slice(try s.u32leb());
            if (std.mem.eql(u8, name, "name")) names = body[s.i..];
        }
    }
    const want = func_index orelse return null;
    var n: Reader = .{ .b = names orelse return null };
    while (n.i < n.b.len) {
        const sub = try n.byte();
        var s: Reader = .{ .b = try n.slice(try n.u32leb()) };
        if (sub != 1) continue; // 1 = function names
        const count = try s.u32leb();
        for (0..count) |_| {
            const idx = try s.u32leb();
            const name = try s.slice(try s.u32leb());
            if (idx == want) return name;
        }
    }
    return null;
}

// ELF (x86_64 and other 64-bit little-endian hosts) -------------------------------------------------

fn int(comptime T: type, b: []const u8, at: usize) !T {
    if (at + @sizeOf(T) > b.len) return error.Truncated;
    return std.mem.readInt(T, b[at..][0..@sizeOf(T)], .little);
}

fn elfName(b: []const u8, addr: usize) !?[]const u8 {
    if (b.len < 64 or !std.mem.eql(u8, b[0..4], "\x7fELF") or b[4] != 2 or b[5] != 1) return null;
    if (try int(u16, b, 0x10) != 2) return null; // ET_EXEC only: symbol values are run-time addresses
    const shoff = try int(u64, b, 0x28);
    const shentsize = try int(u16, b, 0x3a);
    const shnum = try int(u16, b, 0x3c);
    for (0..shnum) |i| {
        const sh = shoff + i * shentsize;
        if (try int(u32, b, sh + 4) != 2) continue; // SHT_SYMTAB
        const off = try int(u64, b, sh + 0x18);
        const size = try int(u64, b, sh + 0x20);
        const link = try int(u32, b, sh + 0x28);
        const str_sh = shoff + @as(u64, link) * shentsize;
        const str_off = try int(u64, b, str_sh + 0x18);
        const str_size = try int(u64, b, str_sh + 0x20);
        if (str_off + str_size > b.len or off + size > b.len) return error.Truncated;
        const strtab = b[str_off..][0..str_size];
        var at = off;
        while (at + 24 <= off + size) : (at += 24) {
            if (b[at + 4] & 0xf != 2) continue; // STT_FUNC
            const value = try int(u64, b, at + 8);
            const len = try int(u64, b, at + 16);
            if (addr != value and !(addr > value and addr < value + len)) continue;
            const name_off = try int(u32, b, at);
            if (name_off >= strtab.len) return null;
            return std.mem.sliceTo(strtab[name_off..], 0);
        }
    }
    return null;
}
