/// The accounts one `LedgerRepository.post(_ postings:)` batch touches. Each gets a slot (a dense index) the
/// first time it is seen; ids and running balances live in arrays indexed by slot, so checking a posting
/// costs array reads instead of dictionary updates of whole `AccountBalance` values.
struct TouchedAccounts {
    private(set) var accounts: [AccountKey] = []
    private(set) var storageKeys: [String] = []
    /// The accounts' `ledger_accounts.id`, valid once `found` ran for the slot.
    private(set) var ids: [Int64] = []
    private var slotByAccount: [AccountKey: Int] = [:]
    private var slotByStorageKey: [String: Int] = [:]
    private var posted: [Int64] = []
    private var held: [Int64] = []
    private var limits: [Int64?] = []
    private var isFound: [Bool] = []

    /// The slot of `account`, adding it on first sight.
    mutating func slot(of account: AccountKey) -> Int {
        if let slot = slotByAccount[account] { return slot }
        let slot = accounts.count
        let key = account.storageKey
        accounts.append(account)
        storageKeys.append(key)
        slotByAccount[account] = slot
        slotByStorageKey[key] = slot
        ids.append(0)
        posted.append(0)
        held.append(0)
        limits.append(nil)
        isFound.append(false)
        return slot
    }

    func slot(storageKey: String) -> Int? { slotByStorageKey[storageKey] }

    /// Slots in the order locks are taken and totals updated in: by storage key.
    var lockOrder: [Int] { storageKeys.indices.sorted { storageKeys[$0] < storageKeys[$1] } }

    /// The first slot whose account row was not found, if any.
    var missing: Int? { isFound.firstIndex(of: false) }

    /// Records an account row as read (and locked).
    mutating func found(_ slot: Int, id: Int64, posted: Int64, held: Int64, limit: Int64?) {
        ids[slot] = id
        self.posted[slot] = posted
        self.held[slot] = held
        limits[slot] = limit
        isFound[slot] = true
    }

    /// Checks `postings` one after another against the running balances, exactly as posting them one by
    /// one would (each account's net change within a posting against its limit), and returns the net
    /// changes per slot. `slots` holds every entry's slot, postings' entries flattened in order.
    mutating func apply(_ postings: [Posting], slots: [Int]) throws(LedgerError) -> Changes {
        var changes = Changes(count: accounts.count)
        var cursor = 0
        for posting in postings {
            let entries = posting.entries
            for index in entries.indices {
                let slot = slots[cursor + index]
                let amount = entries[index].amountMinor
                if amount < 0 { changes.debited[slot] -= amount } else { changes.credited[slot] += amount }
                // An account named twice in one posting is checked once, on its net change.
                if slots[cursor..<(cursor + index)].contains(slot) { continue }
                var change = entries[index].amountMinor
                for other in (index + 1)..<entries.count where slots[cursor + other] == slot { change += entries[other].amountMinor }
                guard change != 0 else { continue }
                let available = posted[slot] - held[slot]
                if change < 0, !AccountBalance.canSpend(-change, availableMinor: available, limitMinor: limits[slot]) {
                    throw .insufficientFunds(account: storageKeys[slot], availableMinor: available, requestedMinor: -change)
                }
                posted[slot] += change
                changes.net[slot] += change
            }
            cursor += entries.count
        }
        return changes
    }

    /// What a batch does to each slot's totals: the net change of `posted`, and the money that left
    /// (`debited`) and entered (`credited`) it, entry by entry.
    struct Changes {
        var net: [Int64]
        var debited: [Int64]
        var credited: [Int64]

        init(count: Int) {
            net = [Int64](repeating: 0, count: count)
            debited = net
            credited = net
        }
    }
}
