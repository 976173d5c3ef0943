unsigned alpha_checksum(const unsigned char *p, unsigned n) {
    unsigned s = 0;
    while (n--) s = s * 31 + *p++;
    return s;
}
