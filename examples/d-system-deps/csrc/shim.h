int shim_tls_version(void);
void shim_log(const char *msg);
