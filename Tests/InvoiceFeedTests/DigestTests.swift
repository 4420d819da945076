import Foundation
import InvoiceFeed
import Testing

/// The system's SHA-256, against the FIPS 180-2 examples and across update boundaries.
@Suite struct DigestTests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func knownDigests(text: String, digest: String) {
        #expect(SHA256Digest.hex(of: Array(text.utf8)) == digest)
    }

    @Test func piecesGiveTheDigestOfTheWhole() {
        let bytes = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var digest = SHA256Digest()
        for start in stride(from: 0, to: bytes.count, by: 777) {
            bytes[start..<min(start + 777, bytes.count)].withUnsafeBytes { digest.update($0) }
        }
        #expect(digest.hex() == SHA256Digest.hex(of: bytes))
    }
}

/// A file's size is taken once, when it is opened: reads stop there, so the hash and the parser
/// see the same bytes even if a sender goes on writing.
@Suite struct SafeFileTests {
    @Test func readsStopAtTheSizeWhenOpenedAndTheLimitIsCheckedThere() throws {
        let path = NSTemporaryDirectory() + "sublet-safefile-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("12345".utf8).write(to: URL(fileURLWithPath: path))
        let file = try SafeFile.open(path, maximumBytes: 5)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("67890".utf8))
        try handle.close()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64, alignment: 1)
        defer { buffer.deallocate() }
        #expect(try file.read(into: buffer, at: 0) == 5)
        #expect(try file.read(into: buffer, at: 5) == 0)
        #expect(throws: FeedError.tooLarge(file: URL(fileURLWithPath: path).lastPathComponent, bytes: 10, limit: 5)) {
            try SafeFile.open(path, maximumBytes: 5)
        }
    }
}
