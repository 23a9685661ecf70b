import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The kernel's randomness handed out from a 4 KiB buffer, for identifiers drawn on the store's writer (a transaction's
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

        /// The kernel's generator, one read per 4 KiB (`/dev/urandom` is `getrandom` without the call's
        /// 8-byte steps); the system generator if the device cannot be read.
        private mutating func refill() {
            position = 0
            let filled = bytes.withUnsafeMutableBytes { buffer -> Bool in
                guard let device = Self.device else { return false }
                var offset = 0
                while offset < buffer.count {
                    let count = read(device, buffer.baseAddress! + offset, buffer.count - offset)
                    if count < 0, errno == EINTR { continue }
                    guard count > 0 else { return false }
                    offset += count
                }
                return true
            }
            if filled { return }
            var system = SystemRandomNumberGenerator()
            bytes.withUnsafeMutableBytes { buffer in
                for offset in stride(from: 0, to: buffer.count, by: 8) { buffer.storeBytes(of: system.next(), toByteOffset: offset, as: UInt64.self) }
            }
        }

        /// Opened once for the process.
        private static let device: Int32? = {
            let descriptor = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
            return descriptor >= 0 ? descriptor : nil
        }()
    }
}
