internal import CLibXML2
import SubletDomain

/// What the streaming reader reports, one node at a time.
enum XMLEvent {
    case start(localName: String, namespace: String, attributes: [String: String], line: Int, column: Int)
    case text(String)
    case end
}

/// Streams a file through libxml2's `xmlTextReader`, so memory stays flat for any file size.
/// The only place Sublet calls libxml2; no libxml2 pointer escapes it.
///
/// Safety (measured in TOOLCHAIN.md): the parser runs with `XML_PARSE_NONET` and never with
/// `NOENT`, `DTDLOAD` or `HUGE`; every external entity loader request is refused; a DOCTYPE or
/// an entity reference is a hard reject, as is a read result of -1; depth and text length are
/// bounded.
struct XMLStream {
    let path: String
    let displayName: String
    let limits: FeedLimits

    /// Attributes worth reading; others are never converted to strings.
    static let attributeNames = ["currencyID", "schemeID", "unitCode"]

    func read(_ handle: (XMLEvent) throws -> Void) throws {
        XMLStream.installEntityRefusal
        let options = Int32(bitPattern: XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_COMPACT.rawValue)
        guard let reader = xmlReaderForFile(path, nil, options) else {
            throw FeedError.unreadable(file: displayName, reason: "libxml2 could not open it")
        }
        defer { xmlFreeTextReader(reader) }
        let errors = ErrorBox()
        let context = Unmanaged.passUnretained(errors).toOpaque()
        xmlTextReaderSetStructuredErrorHandler(reader, { context, error in
            guard let context, let error else { return }
            let box = Unmanaged<ErrorBox>.fromOpaque(context).takeUnretainedValue()
            guard box.first == nil, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
            let message = error.pointee.message.map { String(cString: $0) } ?? "unknown error"
            box.first = (Int(error.pointee.line), Int(error.pointee.int2), message.trimmingASCIIWhitespace())
        }, context)
        defer { withExtendedLifetime(errors) {} }

        var depth = 0
        while true {
            let status = xmlTextReaderRead(reader)
            if status == 0 { break }
            let line = Int(xmlTextReaderGetParserLineNumber(reader))
            let column = Int(xmlTextReaderGetParserColumnNumber(reader))
            if status < 0 || errors.first != nil {
                let (errorLine, errorColumn, message) = errors.first ?? (line, column, "the parser stopped")
                throw FeedError.malformed(file: displayName, line: errorLine, column: errorColumn, reason: message)
            }
            switch xmlTextReaderNodeType(reader) {
            case 1:  // element
                depth = Int(xmlTextReaderDepth(reader)) + 1
                guard depth <= limits.maximumDepth else {
                    throw FeedError.forbidden(file: displayName, line: line, column: column, reason: "elements nested deeper than \(limits.maximumDepth)")
                }
                let name = string(xmlTextReaderConstLocalName(reader)) ?? ""
                let namespace = string(xmlTextReaderConstNamespaceUri(reader)) ?? ""
                var attributes: [String: String] = [:]
                if xmlTextReaderHasAttributes(reader) == 1 {
                    for attribute in Self.attributeNames {
                        if let value = xmlTextReaderGetAttribute(reader, attribute) {
                            attributes[attribute] = String(cString: value)
                            clibxml2_free(value)
                        }
                    }
                }
                try handle(.start(localName: name, namespace: namespace, attributes: attributes, line: line, column: column))
                if xmlTextReaderIsEmptyElement(reader) == 1 { try handle(.end) }
            case 3, 4:  // text, CDATA
                guard let value = xmlTextReaderConstValue(reader) else { continue }
                let text = String(cString: value)
                guard text.utf8.count <= limits.maximumTextBytes else {
                    throw FeedError.forbidden(file: displayName, line: line, column: column, reason: "a text longer than \(limits.maximumTextBytes) bytes")
                }
                try handle(.text(text))
            case 15:  // end of element
                try handle(.end)
            case 10:  // DOCTYPE
                throw FeedError.forbidden(file: displayName, line: line, column: column, reason: "a DOCTYPE (document type declarations and entities are not accepted)")
            case 5, 6:  // entity reference, entity
                throw FeedError.forbidden(file: displayName, line: line, column: column, reason: "an entity reference")
            default:
                continue
            }
        }
        if let (line, column, message) = errors.first {
            throw FeedError.malformed(file: displayName, line: line, column: column, reason: message)
        }
    }

    private func string(_ pointer: UnsafePointer<xmlChar>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    /// `xmlSetExternalEntityLoader` is process-wide: installed once.
    static let installEntityRefusal: Void = { clibxml2_refuse_external_entities() }()

    /// The first error libxml2 reported while reading.
    final class ErrorBox {
        var first: (Int, Int, String)?
    }
}
