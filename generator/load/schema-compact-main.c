/* load/schema-compact-main.c - the build's schema-compact tool: writes a
 * schema without its documentation, for reportgen to validate with.
 * Stage: load (a build-time program, not part of reportgen).
 *
 *   schema-compact IN.xsd OUT.xsd
 *
 * The schemas carry an xs:documentation for every element and attribute
 * (XML editors show them; docs/language.md is made from them): 102 KB
 * against 32 KB without. Both schemas are parsed on every run, and the
 * documentation cost 4.6 M of the sample's 85 M instructions, all of it in
 * reading and hashing the text (dropping the nodes after parsing saved
 * 0.1 M). So the build writes copies without xs:annotation elements,
 * comments and blank text, and pipeline/paths.c uses a copy when it is at
 * least as new as its source. Validation is the same: annotations carry
 * no constraint. The output is written whole to OUT.tmp, then renamed.
 * Exit 0, or 1 with a message. */
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <stdio.h>
#include <string.h>

static const xmlChar XSD_NS[] = "http://www.w3.org/2001/XMLSchema";

static int is_documentation(xmlNodePtr n)
{
    return n->type == XML_COMMENT_NODE ||
           (n->type == XML_ELEMENT_NODE && n->ns && xmlStrEqual(n->ns->href, XSD_NS) &&
            xmlStrEqual(n->name, (const xmlChar *)"annotation"));
}

/* Unlinks and frees every annotation and comment below node. Recursion
 * is as deep as the schema's nesting (a dozen levels). */
static void strip(xmlNodePtr node)
{
    for (xmlNodePtr c = node->children, next; c; c = next) {
        next = c->next;
        if (is_documentation(c)) {
            xmlUnlinkNode(c);
            xmlFreeNode(c);
        } else if (c->type == XML_ELEMENT_NODE) {
            strip(c);
        }
    }
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fputs("usage: schema-compact IN.xsd OUT.xsd\n", stderr);
        return 1;
    }
    xmlDocPtr doc = xmlReadFile(argv[1], NULL, XML_PARSE_NONET | XML_PARSE_NOBLANKS);
    if (!doc || !xmlDocGetRootElement(doc)) {
        fprintf(stderr, "schema-compact: %s: not a well-formed schema\n", argv[1]);
        return 1;
    }
    strip((xmlNodePtr)doc);            /* the comments around the root too */
    char tmp[4200];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", argv[2]) >= sizeof tmp) return 1;
    int ok = xmlSaveFileEnc(tmp, doc, "UTF-8") > 0 && rename(tmp, argv[2]) == 0;
    if (!ok) {
        fprintf(stderr, "schema-compact: cannot write %s\n", argv[2]);
        remove(tmp);
    }
    xmlFreeDoc(doc);
    xmlCleanupParser();
    return ok ? 0 : 1;
}
