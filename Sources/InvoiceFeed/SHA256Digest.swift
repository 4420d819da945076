import CLibCrypto

/// SHA-256 through the system's libcrypto (OpenSSL's EVP interface): how an inbound file is
/// recognised when it comes again. One digest does not justify building a whole cryptography
/// library into the binaries; the system's is maintained and patched with the rest of Debian.
public struct SHA256Digest: ~Copyable {
    private let context: OpaquePointer

    public init() {
        guard let context = EVP_MD_CTX_new(), EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else {
            preconditionFailure("libcrypto cannot start a SHA-256 digest (out of memory)")
        }
        self.context = context
    }

    deinit { EVP_MD_CTX_free(context) }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        guard EVP_DigestUpdate(context, bytes.baseAddress, bytes.count) == 1 else { preconditionFailure("libcrypto's SHA-256 update failed") }
    }

    /// The digest, as 64 lower-case hex digits.
    public consuming func hex() -> String {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard EVP_DigestFinal_ex(context, &digest, &length) == 1, length == 32 else { preconditionFailure("libcrypto's SHA-256 failed") }
        let hexDigits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in digest.prefix(32) {
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The digest of `bytes`, in hex.
    public static func hex(of bytes: some Sequence<UInt8>) -> String {
        var digest = SHA256Digest()
        let array = Array(bytes)
        array.withUnsafeBytes { digest.update($0) }
        return digest.hex()
    }
}
