/* cli/reply-main.c - the reportgen-reply executable: `reportgen reply` execs it
 * (cli/main.c), so that the mail stage's libraries (GMime, GLib, libcurl and
 * what they pull in: two thirds of the shared objects) are loaded only
 * for replies, not for every build. Stage: cli. */
#include "mail/mail.h"

int main(int argc, char **argv)
{
    return rg_cmd_reply(argc, argv);
}
