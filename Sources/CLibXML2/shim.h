#ifndef SUBLET_CLIBXML2_SHIM_H
#define SUBLET_CLIBXML2_SHIM_H

#include <libxml/xmlversion.h>
/* Debian's ICU headers clash with Foundation's own ICU. */
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>

/* xmlFree is a global function pointer, which Swift 6 rejects as not concurrency-safe. */
static inline void clibxml2_free(void *pointer) { xmlFree(pointer); }

/* Refuses every external entity, DTD or schema a document asks for: nothing is loaded from
   disk or network while parsing supplier files. */
static inline xmlParserInputPtr clibxml2_refuse_external(const char *url, const char *id, xmlParserCtxtPtr context) {
    (void)url; (void)id; (void)context;
    return NULL;
}

static inline void clibxml2_refuse_external_entities(void) {
    xmlSetExternalEntityLoader(clibxml2_refuse_external);
}

/* libxml2 prints some messages through its generic error channel (straight to stderr) rather
   than the structured handler each parser has. Sublet reports every error through the latter, so
   the generic channel is silenced on each thread that parses (it is thread-local). */
static void clibxml2_ignore_generic(void *context, const char *message, ...) { (void)context; (void)message; }

static inline void clibxml2_silence_generic_errors(void) {
    xmlSetGenericErrorFunc(NULL, clibxml2_ignore_generic);
    xmlThrDefSetGenericErrorFunc(NULL, clibxml2_ignore_generic);
}

#endif
