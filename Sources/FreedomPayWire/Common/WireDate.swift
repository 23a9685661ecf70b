import Foundation
import Synchronization

/// The two timestamp styles of the docs: RFC 3339 with offset (`dt`) and `YYYY-MM-DD hh:mm:ss` (`datetime`).
public enum WireDate {
    /// Every Card API answer carries a `dt`; most fall in the second the previous one did, so the last text is
    /// kept and reused for the same whole second and zone (see `RFC3339Cache`).
    public static func rfc3339(_ date: Date, timeZone: TimeZone = .current) -> String {
        let key = RFC3339Cache.key(date)
        if let key, let text = RFC3339Cache.lookup(second: key, timeZone: timeZone) { return text }
        let text = formatRFC3339(date, timeZone: timeZone)
        if let key { RFC3339Cache.store(text, second: key, timeZone: timeZone) }
        return text
    }

    /// The formatting itself (no cache): the reference the cache must agree with.
    static func formatRFC3339(_ date: Date, timeZone: TimeZone) -> String {
        var style = Date.ISO8601FormatStyle(timeZone: timeZone)
        style = style.year().month().day().time(includingFractionalSeconds: false).timeZone(separator: .colon)
        return date.formatted(style)
    }

    public static func parseRFC3339(_ text: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
        return try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)
    }

    /// `YYYY-MM-DD hh:mm:ss` in the given zone (gift cards, Merchant API, rates).
    public static func plain(_ date: Date, timeZone: TimeZone = .current) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%04d-%02d-%02d %02d:%02d:%02d",
            parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0
        )
    }

    public static func parsePlain(_ text: String, timeZone: TimeZone = .current) -> Date? {
        let fields = text.split(whereSeparator: { $0 == "-" || $0 == " " || $0 == ":" }).map { Int($0) }
        guard text.count == 19, fields.count == 6, fields.allSatisfy({ $0 != nil }) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let components = DateComponents(
            year: fields[0], month: fields[1], day: fields[2], hour: fields[3], minute: fields[4], second: fields[5])
        guard let date = calendar.date(from: components),
              plain(date, timeZone: timeZone) == text else { return nil }
        return date
    }
}

/// The last `dt` text: valid for every instant of the same whole second in the same zone. The formatter drops
/// fractions but rounds at sub-microsecond precision (…:20.9999999 prints :21), so instants within 1 ms of the
/// next second, and instants before 1970, are neither served nor stored: they are formatted every time.
enum RFC3339Cache {
    private struct Entry {
        var second: Int64
        var timeZone: TimeZone
        var text: String
    }

    private static let last = Mutex<Entry?>(nil)

    /// The whole second of `date`, or nil where the cache does not apply.
    static func key(_ date: Date) -> Int64? {
        let seconds = date.timeIntervalSince1970
        guard seconds >= 0, seconds < 1e15 else { return nil }
        let whole = seconds.rounded(.down)
        return seconds - whole < 0.999 ? Int64(whole) : nil
    }

    static func lookup(second: Int64, timeZone: TimeZone) -> String? {
        last.withLock { entry in
            guard let entry, entry.second == second, entry.timeZone == timeZone else { return nil }
            return entry.text
        }
    }

    static func store(_ text: String, second: Int64, timeZone: TimeZone) {
        last.withLock { $0 = Entry(second: second, timeZone: timeZone, text: text) }
    }
}
