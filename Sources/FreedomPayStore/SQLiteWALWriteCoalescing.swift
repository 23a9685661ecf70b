import Foundation
import GRDBSQLite

/// Hands each commit's write-ahead-log frames to the kernel in one write instead of two per frame.
///
/// SQLite writes a WAL frame as two `pwrite`s (its 24-byte header, then the page): a group commit of ~25 debits
/// wrote ~120 frames, ~240 system calls, and `pwrite` was the largest single cost of the writer thread (15 % of
/// it, `perf`, BENCHMARKS.md session 8). This wraps the platform's default VFS: files SQLite opens as a WAL
/// collect consecutive writes in memory and pass them on as one write when the commit frame's page arrives
/// (a frame header whose "database size after commit" field is non-zero), and before anything that could
/// observe the file: a read, a sync, a size or truncation, a file control, a write elsewhere, and close.
///
/// Durability and visibility do not change: a COMMIT returns after its frames reached the OS, as before (the
/// `SQLiteWALFlusher` still syncs them before any caller is answered), and other connections learn of new
/// frames from the WAL index, which SQLite updates only after the commit frame was written. Every other file
/// (database, shared memory, journals) is the default VFS's own, untouched.
enum SQLiteWALWriteCoalescing {
    /// Registers the wrapper as the default VFS, once per process, before the store opens connections.
    static func install() { _ = installed }

    private static let installed: Void = {
        guard let base = sqlite3_vfs_find(nil) else { return }
        baseVFS = base
        let vfs = UnsafeMutablePointer<sqlite3_vfs>.allocate(capacity: 1)
        vfs.initialize(to: base.pointee)
        vfs.pointee.zName = UnsafePointer(strdup("freedompay-wal-coalesce"))
        vfs.pointee.szOsFile = Int32(WALFile.headerSize) + base.pointee.szOsFile
        vfs.pointee.pNext = nil
        vfs.pointee.xOpen = { _, name, file, flags, outFlags in
            guard let file, let base = SQLiteWALWriteCoalescing.baseVFS else { return SQLITE_ERROR }
            guard flags & SQLITE_OPEN_WAL != 0 else {
                // Not a WAL: the default VFS's file, in place, with its own methods.
                return base.pointee.xOpen(base, name, file, flags, outFlags)
            }
            let inner = WALFile.inner(file)
            let code = base.pointee.xOpen(base, name, inner, flags, outFlags)
            guard code == SQLITE_OK, let methods = inner.pointee.pMethods else {
                if inner.pointee.pMethods != nil { _ = inner.pointee.pMethods.pointee.xClose(inner) }
                file.pointee.pMethods = nil
                return code == SQLITE_OK ? SQLITE_CANTOPEN : code
            }
            WALFile.setBuffer(Unmanaged.passRetained(WALBuffer()), of: file)
            file.pointee.pMethods = UnsafePointer(WALFile.methods(version: methods.pointee.iVersion))
            return SQLITE_OK
        }
        sqlite3_vfs_register(vfs, 1)
    }()

    nonisolated(unsafe) fileprivate static var baseVFS: UnsafeMutablePointer<sqlite3_vfs>?
}

/// The pending bytes of one WAL file handle: one contiguous range starting at `start`.
private final class WALBuffer {
    var bytes: UnsafeMutableRawPointer?
    var capacity = 0
    var count = 0
    var start: Int64 = 0
    /// The last write was a commit frame's header: its page completes the commit.
    var commitFramePending = false

    /// Beyond this (a very large transaction), pending bytes go out before more are taken.
    static let limit = 8 << 20

    func append(_ source: UnsafeRawPointer, _ amount: Int) {
        if count + amount > capacity {
            capacity = max(capacity * 2, count + amount, 256 << 10)
            bytes = realloc(bytes, capacity)
        }
        (bytes! + count).copyMemory(from: source, byteCount: amount)
        count += amount
    }

    deinit { free(bytes) }
}

/// Layout of a wrapped WAL file: SQLite's `sqlite3_file` (our methods), the buffer, then the default VFS's file.
private enum WALFile {
    static let headerSize = 16

    static func inner(_ file: UnsafeMutablePointer<sqlite3_file>) -> UnsafeMutablePointer<sqlite3_file> {
        (UnsafeMutableRawPointer(file) + headerSize).assumingMemoryBound(to: sqlite3_file.self)
    }

    static func setBuffer(_ buffer: Unmanaged<WALBuffer>, of file: UnsafeMutablePointer<sqlite3_file>) {
        (UnsafeMutableRawPointer(file) + 8).storeBytes(of: buffer.toOpaque(), as: UnsafeMutableRawPointer.self)
    }

    static func buffer(_ file: UnsafeMutablePointer<sqlite3_file>) -> WALBuffer {
        Unmanaged<WALBuffer>.fromOpaque((UnsafeMutableRawPointer(file) + 8).load(as: UnsafeMutableRawPointer.self)).takeUnretainedValue()
    }

    static func innerMethods(_ file: UnsafeMutablePointer<sqlite3_file>) -> (UnsafeMutablePointer<sqlite3_file>, sqlite3_io_methods) {
        let inner = inner(file)
        return (inner, inner.pointee.pMethods.pointee)
    }

    /// Writes out what is pending; SQLite's error code of the write, or OK.
    static func flush(_ file: UnsafeMutablePointer<sqlite3_file>) -> Int32 {
        let buffer = buffer(file)
        buffer.commitFramePending = false
        guard buffer.count > 0, let bytes = buffer.bytes else { return SQLITE_OK }
        let (inner, methods) = innerMethods(file)
        defer { buffer.count = 0 }
        var written = 0
        while written < buffer.count {
            let amount = min(buffer.count - written, maxWrite)
            let code = methods.xWrite(inner, bytes + written, Int32(amount), buffer.start + Int64(written))
            guard code == SQLITE_OK else { return code }
            written += amount
        }
        return SQLITE_OK
    }

    /// The unix VFS writes at most 128 KiB - 1 per call (`seekAndWrite` masks the size with 0x1ffff).
    private static let maxWrite = 120 << 10

    /// A 24-byte write is a frame header (pages are 512 bytes or more, the WAL header 32); bytes 4-7 hold the
    /// database size after the commit, non-zero only in a commit frame.
    static func isCommitFrameHeader(_ source: UnsafeRawPointer, _ amount: Int32) -> Bool {
        guard amount == 24 else { return false }
        return source.loadUnaligned(fromByteOffset: 4, as: UInt32.self) != 0
    }

    nonisolated(unsafe) private static var tables: [Int32: UnsafeMutablePointer<sqlite3_io_methods>] = [:]
    private static let tablesLock = NSLock()

    /// The method table for wrapped files whose default methods have `version` (one per version, kept for good).
    static func methods(version: Int32) -> UnsafeMutablePointer<sqlite3_io_methods> {
        tablesLock.lock()
        defer { tablesLock.unlock() }
        if let table = tables[version] { return table }
        let table = UnsafeMutablePointer<sqlite3_io_methods>.allocate(capacity: 1)
        table.initialize(to: makeMethods(version: version))
        tables[version] = table
        return table
    }

    /// Writes out what is pending, then runs `body` on the default VFS's file; a failed flush is the answer.
    static func afterFlush(
        _ file: UnsafeMutablePointer<sqlite3_file>?, _ body: (UnsafeMutablePointer<sqlite3_file>, sqlite3_io_methods) -> Int32
    ) -> Int32 {
        guard let file else { return SQLITE_ERROR }
        let flushed = flush(file)
        guard flushed == SQLITE_OK else { return flushed }
        let (inner, inherited) = innerMethods(file)
        return body(inner, inherited)
    }

    /// Runs `body` on the default VFS's file (nothing pending can matter to it).
    static func forward(
        _ file: UnsafeMutablePointer<sqlite3_file>?, _ body: (UnsafeMutablePointer<sqlite3_file>, sqlite3_io_methods) -> Int32
    ) -> Int32 {
        guard let file else { return SQLITE_ERROR }
        let (inner, inherited) = innerMethods(file)
        return body(inner, inherited)
    }

    private static func makeMethods(version: Int32) -> sqlite3_io_methods {
        var methods = sqlite3_io_methods()
        methods.iVersion = version
        methods.xClose = { file in
            guard let file else { return SQLITE_ERROR }
            let flushed = WALFile.flush(file)
            let (inner, inherited) = WALFile.innerMethods(file)
            let closed = inherited.xClose(inner)
            Unmanaged<WALBuffer>.fromOpaque((UnsafeMutableRawPointer(file) + 8).load(as: UnsafeMutableRawPointer.self)).release()
            return flushed != SQLITE_OK ? flushed : closed
        }
        methods.xWrite = { file, source, amount, offset in
            guard let file, let source else { return SQLITE_ERROR }
            let buffer = WALFile.buffer(file)
            if buffer.count > 0, offset != buffer.start + Int64(buffer.count) || buffer.count + Int(amount) > WALBuffer.limit {
                let flushed = WALFile.flush(file)
                guard flushed == SQLITE_OK else { return flushed }
            }
            if buffer.count == 0 { buffer.start = offset }
            buffer.append(source, Int(amount))
            if WALFile.isCommitFrameHeader(source, amount) {
                buffer.commitFramePending = true
                return SQLITE_OK
            }
            // The commit frame's page: the commit is complete, its frames go to the OS before COMMIT returns.
            return buffer.commitFramePending ? WALFile.flush(file) : SQLITE_OK
        }
        // Anything that could observe the file sees the pending frames first.
        methods.xRead = { file, destination, amount, offset in WALFile.afterFlush(file) { $1.xRead($0, destination, amount, offset) } }
        methods.xTruncate = { file, size in WALFile.afterFlush(file) { $1.xTruncate($0, size) } }
        methods.xSync = { file, flags in WALFile.afterFlush(file) { $1.xSync($0, flags) } }
        methods.xFileSize = { file, size in WALFile.afterFlush(file) { $1.xFileSize($0, size) } }
        methods.xFileControl = { file, operation, argument in WALFile.afterFlush(file) { $1.xFileControl($0, operation, argument) } }
        methods.xLock = { file, level in WALFile.forward(file) { $1.xLock($0, level) } }
        methods.xUnlock = { file, level in WALFile.forward(file) { $1.xUnlock($0, level) } }
        methods.xCheckReservedLock = { file, result in WALFile.forward(file) { $1.xCheckReservedLock($0, result) } }
        methods.xSectorSize = { file in file == nil ? 4096 : WALFile.forward(file) { $1.xSectorSize($0) } }
        methods.xDeviceCharacteristics = { file in file == nil ? 0 : WALFile.forward(file) { $1.xDeviceCharacteristics($0) } }
        guard version >= 2 else { return methods }
        methods.xShmMap = { file, region, size, extend, pointer in WALFile.forward(file) { $1.xShmMap($0, region, size, extend, pointer) } }
        methods.xShmLock = { file, offset, count, flags in WALFile.forward(file) { $1.xShmLock($0, offset, count, flags) } }
        methods.xShmBarrier = { file in _ = WALFile.forward(file) { inner, inherited in inherited.xShmBarrier(inner); return SQLITE_OK } }
        methods.xShmUnmap = { file, delete in WALFile.forward(file) { $1.xShmUnmap($0, delete) } }
        guard version >= 3 else { return methods }
        methods.xFetch = { file, offset, amount, pointer in WALFile.afterFlush(file) { $1.xFetch($0, offset, amount, pointer) } }
        methods.xUnfetch = { file, offset, pointer in WALFile.forward(file) { $1.xUnfetch($0, offset, pointer) } }
        return methods
    }
}
