/* kiln's entry point: sets up the process-wide libraries, then hands the command line to the
 * verb table. */
#include <openssl/crypto.h>

#include "cli/cli.h"

int main(int argc, char **argv)
{
    /* digests and keys only need OpenSSL's built-in default provider: skipping the system
     * openssl.cnf keeps renders independent of the machine and saves ~1 ms on first use */
    OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, NULL);
    return cli_main(argc, argv);
}
