@testable import FreedomPayCore
import Testing

/// The journal's text encodings: what the writer packs, statements and the indexer read back exactly;
/// a damaged row is an error, never a silently different amount.
@Suite struct JournalTextTests {
    @Test func entriesRoundTripWithSignsAndExtremes() throws {
        let entries: [JournalText.Entry] = [
            .init(accountID: 12, amountMinor: -500), .init(accountID: 34, amountMinor: 500),
            .init(accountID: Int64.max, amountMinor: Int64.min + 1), .init(accountID: 1, amountMinor: Int64.max),
        ]
        let text = JournalText.encode(entries)
        #expect(text.hasPrefix("12:-500;34:500;"))
        #expect(try JournalText.entries(text) == entries)
    }

    @Test func itemsAreDeltaEncodedAndRoundTrip() throws {
        // Times may go backwards (another instance's clock); an account can appear twice at one position.
        let items: [JournalText.Item] = [
            .init(seq: 1041, createdAt: 1_763_740_800), .init(seq: 1044, createdAt: 1_763_740_800),
            .init(seq: 1044, createdAt: 1_763_740_800), .init(seq: 1045, createdAt: 1_763_740_790),
        ]
        let text = JournalText.encode(items)
        #expect(text == "1041:1763740800,3:0,0:0,1:-10")
        #expect(try JournalText.items(text) == items)
        #expect(try JournalText.items("") == [])
    }

    @Test(arguments: ["12", "12:", ":5", "12:5;", "12:5;;3:4", "12:5,3:4", "a:1", "1:2:3", "12:99999999999999999999", "12: 5", "--1:2"])
    func malformedEntriesAreRefused(text: String) {
        #expect(throws: StoreError.self) { try JournalText.entries(text) }
    }
}
