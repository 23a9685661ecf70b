/// The two text encodings of the ledger journal: a posting's entries (`12:-500;34:500`: account id and
/// signed minor amount, in entry order) and an account's history items (`seq:createdAt` pairs, each one
/// relative to the previous pair, the first absolute: `1041:1763740800,3:0,1:2`).
///
/// Text, not binary, so that both engines store it the same way, a migration can build it in SQL, and an
/// operator can read it with `sqlite3` or `psql`. Pure and allocation-light: the writer encodes every
/// posting and statements decode them.
enum JournalText {
    /// A posting's entries as account ids and amounts.
    struct Entry: Equatable, Sendable {
        let accountID: Int64
        let amountMinor: Int64
    }

    /// A position in an account's history: the journal row and its time.
    struct Item: Equatable, Sendable {
        let seq: Int64
        let createdAt: Int64
    }

    static func encode(_ entries: some Sequence<Entry>) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(48)
        for entry in entries {
            if !bytes.isEmpty { bytes.append(UInt8(ascii: ";")) }
            appendDecimal(entry.accountID, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            appendDecimal(entry.amountMinor, to: &bytes)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func entries(_ text: String) throws(StoreError) -> [Entry] {
        try pairs(text, separator: UInt8(ascii: ";")).map { Entry(accountID: $0.0, amountMinor: $0.1) }
    }

    static func encode(_ items: some Collection<Item>) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(items.count * 8)
        var previous = Item(seq: 0, createdAt: 0)
        for item in items {
            if !bytes.isEmpty { bytes.append(UInt8(ascii: ",")) }
            appendDecimal(item.seq - previous.seq, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            appendDecimal(item.createdAt - previous.createdAt, to: &bytes)
            previous = item
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Decimal digits of `value` without an intermediate `String` (the writer encodes every posting).
    static func appendDecimal(_ value: Int64, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits = 1
        var probe = magnitude
        while probe >= 10 { probe /= 10; digits += 1 }
        var index = bytes.count + digits
        bytes.append(contentsOf: repeatElement(0, count: digits))
        repeat {
            index -= 1
            bytes[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
            magnitude /= 10
        } while magnitude > 0
    }

    static func items(_ text: String) throws(StoreError) -> [Item] {
        var seq: Int64 = 0, createdAt: Int64 = 0
        return try pairs(text, separator: UInt8(ascii: ",")).map { pair in
            seq += pair.0
            createdAt += pair.1
            return Item(seq: seq, createdAt: createdAt)
        }
    }

    /// `a:b<separator>a:b...` of signed decimal integers; anything else is a decoding error (the
    /// journal is written by this code only, so a malformed value means a damaged row).
    private static func pairs(_ text: String, separator: UInt8) throws(StoreError) -> [(Int64, Int64)] {
        var result: [(Int64, Int64)] = []
        var text = text
        text.makeContiguousUTF8()
        let parsed = text.utf8.withContiguousStorageIfAvailable { bytes in parsePairs(bytes, separator: separator, into: &result) }
        guard parsed == true else { throw .decoding("malformed ledger journal text \(text.prefix(80))") }
        return result
    }

    private static func parsePairs(_ bytes: UnsafeBufferPointer<UInt8>, separator: UInt8, into result: inout [(Int64, Int64)]) -> Bool {
        if bytes.isEmpty { return true }
        var index = 0
        func number() -> Int64? {
            var negative = false
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") { negative = true; index += 1 }
            let start = index
            var value: Int64 = 0
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                let (times, o1) = value.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times.addingReportingOverflow(Int64(bytes[index] - 48))
                if o1 || o2 { return nil }
                value = sum
                index += 1
            }
            guard index > start else { return nil }
            return negative ? -value : value
        }
        while true {
            guard let first = number(), index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return false }
            index += 1
            guard let second = number() else { return false }
            result.append((first, second))
            if index == bytes.count { return true }
            guard bytes[index] == separator else { return false }
            index += 1
        }
    }
}
