#include <openssl/ssl.h>
#include "shim.h"

int shim_tls_version(void) { return (int)OPENSSL_VERSION_NUMBER; }
