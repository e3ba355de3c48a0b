#include <libxml/xmlversion.h>
// Debian builds libxml2 with ICU; its headers would clash with Foundation's own ICU module.
// Nothing here uses libxml2's ICU converters, so their declarations are left out.
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
