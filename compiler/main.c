/* kiln's entry point: hands the command line to the verb table. */
#include "cli/cli.h"

int main(int argc, char **argv)
{
    return cli_main(argc, argv);
}
