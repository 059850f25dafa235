/* cli/reply-main.c - the reportgen-reply executable: `reportgen reply` and
 * `reportgen inbox` exec it (cli/main.c), so that the mail stage's
 * libraries (GMime, GLib, libcurl and what they pull in: two thirds of the
 * shared objects) are loaded only for mail, not for every build. Stage:
 * cli. reportgen execs it with the command's name as argv[0]; run by hand
 * it takes the command as its first argument ("reportgen-reply inbox ..."),
 * else it is reply. */
#include "mail/mail.h"

#include <string.h>

int main(int argc, char **argv)
{
    if (argc > 0 && !strcmp(argv[0], "inbox")) return rg_cmd_inbox(argc, argv);
    if (argc > 1 && !strcmp(argv[1], "inbox")) return rg_cmd_inbox(argc - 1, argv + 1);
    if (argc > 1 && !strcmp(argv[1], "reply")) return rg_cmd_reply(argc - 1, argv + 1);
    return rg_cmd_reply(argc, argv);
}
