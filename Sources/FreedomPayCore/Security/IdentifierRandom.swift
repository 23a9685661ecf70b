import Crypto
import Synchronization

/// Cryptographic randomness handed out from a 4 KiB buffer, for identifiers drawn on the store's writer (a transaction's
/// id and fin document number). `SystemRandomNumberGenerator` makes one `getrandom` system call per 8 bytes: two
/// per debit inside the commit, ~3 % of the writer's time. Not for secrets (keys, PINs, CVVs stay with
/// `SystemRandomNumberGenerator`): the buffer keeps the next identifiers' randomness in memory.
public struct IdentifierRandom: RandomNumberGenerator {
    public init() {}

    public mutating func next() -> UInt64 {
        Self.pool.withLock { $0.next() }
    }

    private static let pool = Mutex(Pool())

    private struct Pool: ~Copyable {
        var bytes = [UInt8](repeating: 0, count: 4096)
        var position = 4096

        mutating func next() -> UInt64 {
            if position + 8 > bytes.count { refill() }
            defer { position += 8 }
            return bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: position, as: UInt64.self) }
        }

        /// BoringSSL's generator (swift-crypto), seeded from the kernel: one call per 4 KiB.
        private mutating func refill() {
            position = 0
            let key = SymmetricKey(size: SymmetricKeySize(bitCount: bytes.count * 8))
            key.withUnsafeBytes { random in bytes.withUnsafeMutableBytes { $0.copyMemory(from: random) } }
        }
    }
}
