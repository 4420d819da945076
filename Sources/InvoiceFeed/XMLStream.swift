internal import CLibXML2
import Foundation
import SubletDomain

/// What hears the streaming reader, one node at a time.
protocol XMLStreamHandler {
    mutating func start(_ name: XMLName, attributes: XMLAttributes, at location: XMLLocation) throws
    /// Text of the innermost open element, possibly in pieces; the handler converts only what it wants.
    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>)
    mutating func end() throws
}

/// An element's name, interned: each distinct name in a file is converted once and numbered
/// (a class, so that handing it on costs one reference count, not one per string).
final class XMLName {
    /// Distinct per (local name, namespace) within one file, from 0; -1 past the first
    /// `XMLStream.internedNames` distinct names (such a file is odd, and its names are not kept).
    let id: Int
    let localName: String
    let namespace: String
    /// The UBL components' namespaces (`cac:`, `cbc:`), where the fields Sublet reads live.
    let isUBLComponent: Bool

    init(id: Int, localName: String, namespace: String) {
        self.id = id
        self.localName = localName
        self.namespace = namespace
        isUBLComponent = namespace == UBL.aggregate || namespace == UBL.basic
    }
}

/// Where the start tag just reported begins, worked out only when asked (most elements never are).
struct XMLLocation {
    fileprivate unowned(unsafe) let sink: XMLStream.Sink
    var line: Int { sink.tagStart.line }
    /// 0 when unknown (a start tag over several lines whose first line is no longer buffered).
    var column: Int { sink.tagStart.column }
}

/// The only attributes Sublet reads; others are never converted to strings.
struct XMLAttributes {
    var currencyID: String?
    var schemeID: String?
    var unitCode: String?
}

/// Streams a file through libxml2's SAX2 push parser, fed 256 KiB at a time: no tree is built,
/// so memory stays flat for any file size. The only place Sublet calls libxml2; no libxml2
/// pointer escapes it.
///
/// Safety (measured in docs/performance.md and in the hostile-file tests): the parser runs with
/// `XML_PARSE_NONET` and never with `NOENT`, `DTDLOAD` or `HUGE`; every external entity loader
/// request is refused; a DOCTYPE, an entity declaration or an entity reference stops the parser
/// and rejects the file, as does any error; depth and text length are bounded.
struct XMLStream {
    let file: SafeFile
    let limits: FeedLimits
    var displayName: String { file.displayName }

    static let chunkBytes = 256 * 1024
    /// A PEPPOL file has a few hundred distinct element names; memory for names stays bounded.
    static let internedNames = 4096

    func read<Handler: XMLStreamHandler>(into handler: inout Handler) throws {
        XMLStream.prepare()
        // libxml2's generic error channel is per thread: silence it on the thread that parses, so
        // that nothing reaches stderr except through the structured handler below.
        clibxml2_silence_generic_errors()
        try withUnsafeMutablePointer(to: &handler) { handler in
            try parse(sink: HandlerSink(handler: handler, displayName: displayName, limits: limits))
        }
    }

    private func parse(sink: Sink) throws {
        var sax = Self.callbacks
        guard let parser = xmlCreatePushParserCtxt(&sax, Unmanaged.passUnretained(sink).toOpaque(), nil, 0, file.path) else {
            throw FeedError.unreadable(file: displayName, reason: "libxml2 could not create a parser")
        }
        defer { xmlFreeParserCtxt(parser) }
        xmlCtxtUseOptions(parser, Int32(bitPattern: XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue))
        sink.parser = parser

        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: Self.chunkBytes)
        defer { buffer.deallocate() }
        var offset = 0
        while sink.failure == nil {
            let count = try file.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: Self.chunkBytes), at: offset)
            offset += count
            file.markParsed(upTo: offset)
            let status = xmlParseChunk(parser, buffer, Int32(count), count == 0 ? 1 : 0)
            if status != 0, sink.failure == nil { sink.fail(with: Optional<any Error>.none) }
            if count == 0 { break }
        }
        withExtendedLifetime(sink) {}
        if let failure = sink.failure { throw failure }
    }

    /// Hands the events to the handler (the callbacks cannot be generic; the subclass is).
    private final class HandlerSink<Handler: XMLStreamHandler>: Sink {
        /// The caller's handler, mutated in place; valid for the parse only.
        let handler: UnsafeMutablePointer<Handler>

        init(handler: UnsafeMutablePointer<Handler>, displayName: String, limits: FeedLimits) {
            self.handler = handler
            super.init(displayName: displayName, limits: limits)
        }

        override func handleStart(_ name: XMLName, attributes: XMLAttributes) throws {
            try handler.pointee.start(name, attributes: attributes, at: XMLLocation(sink: self))
        }
        override func handleText(_ bytes: UnsafeBufferPointer<UInt8>) { handler.pointee.text(bytes) }
        override func handleEnd() throws { try handler.pointee.end() }
    }

    /// Hears libxml2's callbacks for one file.
    fileprivate class Sink {
        let displayName: String
        let limits: FeedLimits
        var parser: xmlParserCtxtPtr?
        private(set) var failure: (any Error)?
        private var depth = 0
        private var textBytes = 0
        /// Names and namespace URIs come from the parser's dictionary (`xmlDictLookup`), which
        /// frees nothing while the parser lives: the same pointers are the same name, so each
        /// name is converted to Strings once per file.
        private var names: [NameKey: XMLName] = [:]
        private var nextNameID = 0

        init(displayName: String, limits: FeedLimits) {
            self.displayName = displayName
            self.limits = limits
        }

        func handleStart(_ name: XMLName, attributes: XMLAttributes) throws {}
        func handleText(_ bytes: UnsafeBufferPointer<UInt8>) {}
        func handleEnd() throws {}

        /// The parser's position: just after what it reported last.
        var line: Int { parser.map { Int(xmlSAX2GetLineNumber(UnsafeMutableRawPointer($0))) } ?? 0 }
        var column: Int { parser.map { Int(xmlSAX2GetColumnNumber(UnsafeMutableRawPointer($0))) } ?? 0 }

        /// Where the start tag just parsed begins: the last `<` before the parser's position (a
        /// start tag holds no other `<`), counting back the line breaks inside the tag.
        var tagStart: (line: Int, column: Int) {
            guard let input = parser?.pointee.input, let base = input.pointee.base, let cur = input.pointee.cur, cur > base else {
                return (line, column)
            }
            var open = cur
            var breaks = 0
            repeat {
                open -= 1
                if open.pointee == UInt8(ascii: "\n") { breaks += 1 }
            } while open > base && open.pointee != UInt8(ascii: "<")
            guard open.pointee == UInt8(ascii: "<") else { return (line, column) }
            if breaks == 0 { return (Int(input.pointee.line), max(Int(input.pointee.col) - (cur - open), 1)) }
            var lineStart = open
            while lineStart > base, (lineStart - 1).pointee != UInt8(ascii: "\n") { lineStart -= 1 }
            let tagLine = Int(input.pointee.line) - breaks
            // Back at the start of the buffer without a line break: known only on the first line.
            let known = lineStart > base || tagLine == 1
            return (tagLine, known ? open - lineStart + 1 : 0)
        }

        /// Records the first reason to reject the file and stops the parser.
        func fail(with error: (any Error)?) {
            guard failure == nil else { return }
            if let error {
                failure = error
            } else if let parser, let last = xmlCtxtGetLastError(parser) {
                failure = Self.malformed(last.pointee, file: displayName)
            } else {
                failure = FeedError.malformed(file: displayName, line: line, column: column, reason: "the parser stopped")
            }
            if let parser { xmlStopParser(parser) }
        }

        func forbid(_ reason: String) {
            fail(with: FeedError.forbidden(file: displayName, line: line, column: column, reason: reason))
        }

        static func malformed(_ error: xmlError, file: String) -> FeedError {
            let message = error.message.map { String(cString: $0) } ?? "unknown error"
            // libxml2's messages may span lines ("… indicate encoding !\nBytes: 0xFF …"): one line here.
            let oneLine = message.split(whereSeparator: \.isNewline).map { $0.trimmingASCIIWhitespace() }.joined(separator: " ")
            return .malformed(file: file, line: Int(error.line), column: Int(error.int2), reason: oneLine)
        }

        func start(
            _ localName: UnsafePointer<xmlChar>?, _ namespace: UnsafePointer<xmlChar>?, attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?,
            count: Int
        ) {
            guard failure == nil else { return }
            depth += 1
            textBytes = 0
            guard depth <= limits.maximumDepth else { return forbid("elements nested deeper than \(limits.maximumDepth)") }
            var values = XMLAttributes()
            if let attributes {
                // Five pointers per attribute: local name, prefix, URI, value start, value end.
                for index in 0..<count {
                    let base = attributes + index * 5
                    guard let name = base[0], base[2] == nil, let start = base[3], let end = base[4] else { continue }
                    let value = String(decoding: UnsafeBufferPointer(start: start, count: end - start), as: UTF8.self)
                    switch (name[0], name[1]) {
                    case (UInt8(ascii: "c"), UInt8(ascii: "u")) where Self.same("currencyID", name): values.currencyID = value
                    case (UInt8(ascii: "s"), UInt8(ascii: "c")) where Self.same("schemeID", name): values.schemeID = value
                    case (UInt8(ascii: "u"), UInt8(ascii: "n")) where Self.same("unitCode", name): values.unitCode = value
                    // ISO 20022's currency attribute (camt.054 `Amt@Ccy`): the same meaning.
                    case (UInt8(ascii: "C"), UInt8(ascii: "c")) where Self.same("Ccy", name): values.currencyID = value
                    default: break
                    }
                }
            }
            do {
                try handleStart(interned(localName, namespace), attributes: values)
            } catch {
                fail(with: error)
            }
        }

        func characters(_ bytes: UnsafePointer<xmlChar>?, _ count: Int) {
            guard failure == nil, let bytes else { return }
            textBytes += count
            guard textBytes <= limits.maximumTextBytes else { return forbid("a text longer than \(limits.maximumTextBytes) bytes") }
            handleText(UnsafeBufferPointer(start: bytes, count: count))
        }

        func end() {
            guard failure == nil else { return }
            depth -= 1
            textBytes = 0
            do { try handleEnd() } catch { fail(with: error) }
        }

        private func interned(_ localName: UnsafePointer<xmlChar>?, _ namespace: UnsafePointer<xmlChar>?) -> XMLName {
            let key = NameKey(localName: localName, namespace: namespace)
            if let name = names[key] { return name }
            let full = nextNameID >= XMLStream.internedNames
            let name = XMLName(
                id: full ? -1 : nextNameID, localName: localName.map { String(cString: $0) } ?? "",
                namespace: namespace.map { String(cString: $0) } ?? "")
            if !full {
                names[key] = name
                nextNameID += 1
            }
            return name
        }

        private static func same(_ string: String, _ pointer: UnsafePointer<xmlChar>?) -> Bool {
            guard let pointer else { return string.isEmpty }
            return string.withCString { strcmp($0, UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self)) == 0 }
        }

        static func from(_ context: UnsafeMutableRawPointer?) -> Sink {
            Unmanaged<Sink>.fromOpaque(context!).takeUnretainedValue()
        }
    }

    private struct NameKey: Hashable {
        var localName: UnsafePointer<xmlChar>?
        var namespace: UnsafePointer<xmlChar>?
    }

    /// The SAX2 callbacks. Everything a DTD could bring in is refused; comments and processing
    /// instructions are ignored.
    private static var callbacks: xmlSAXHandler {
        var sax = xmlSAXHandler()
        sax.initialized = UInt32(XML_SAX2_MAGIC)
        sax.startElementNs = { context, localName, _, namespace, _, _, attributeCount, _, attributes in
            Sink.from(context).start(localName, namespace, attributes: attributes, count: Int(attributeCount))
        }
        sax.endElementNs = { context, _, _, _ in Sink.from(context).end() }
        sax.characters = { context, bytes, count in Sink.from(context).characters(bytes, Int(count)) }
        sax.cdataBlock = { context, bytes, count in Sink.from(context).characters(bytes, Int(count)) }
        sax.internalSubset = { context, _, _, _ in
            Sink.from(context).forbid("a DOCTYPE (document type declarations and entities are not accepted)")
        }
        sax.externalSubset = { context, _, _, _ in
            Sink.from(context).forbid("a DOCTYPE (document type declarations and entities are not accepted)")
        }
        sax.entityDecl = { context, _, _, _, _, _ in Sink.from(context).forbid("an entity declaration") }
        sax.reference = { context, _ in Sink.from(context).forbid("an entity reference") }
        sax.serror = { context, error in
            guard let context, let error, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
            let sink = Sink.from(context)
            sink.fail(with: Sink.malformed(error.pointee, file: sink.displayName))
        }
        return sax
    }

    /// Initialises libxml2 and installs the refusing entity loader (process-wide) once, before
    /// any parser runs on any thread.
    static func prepare() { installEntityRefusal }

    private static let installEntityRefusal: Void = {
        xmlInitParser()
        clibxml2_refuse_external_entities()
    }()
}
