import Foundation
import FreedomPayCore
import Testing

/// Every transition of the card transaction machine, and every refusal.
@Suite struct TransactionMachineTests {
    func debit(_ amount: Int64 = 1_000) -> CardTransaction {
        CardTransaction(
            id: "t", partnerID: PartnerID(rawValue: 1), orderID: "o", cardID: "c", kind: .debit, currency: .kzt,
            amountMinor: amount, clearedMinor: 0, refundedMinor: 0, status: .created, finDocumentID: "FD", description: nil, createdAt: Date())
    }

    @Test func fullClearingTakesTheWholeHold() throws {
        var transaction = debit()
        #expect(try TransactionMachine.clear(&transaction, amountMinor: nil) == 1_000)
        #expect(transaction.status == .cleared)
        #expect(transaction.clearedMinor == 1_000)
    }

    @Test func partialClearingKeepsOnlyTheClearedAmount() throws {
        var transaction = debit()
        #expect(try TransactionMachine.clear(&transaction, amountMinor: 800) == 800)
        #expect(transaction.clearedMinor == 800)
        #expect(throws: TransactionRuleError.notClearable(.cleared)) { try TransactionMachine.clear(&transaction, amountMinor: nil) }
    }

    @Test func clearingAboveTheHoldOrZeroIsRefused() {
        var transaction = debit()
        #expect(throws: TransactionRuleError.amountExceeds(allowedMinor: 1_000, requestedMinor: 1_001)) {
            try TransactionMachine.clear(&transaction, amountMinor: 1_001)
        }
        #expect(throws: TransactionRuleError.nonPositiveAmount) { try TransactionMachine.clear(&transaction, amountMinor: 0) }
        #expect(transaction.status == .created)
    }

    @Test func refundsNeverExceedTheClearedAmount() throws {
        var transaction = debit()
        _ = try TransactionMachine.clear(&transaction, amountMinor: 800)
        #expect(throws: TransactionRuleError.amountExceeds(allowedMinor: 800, requestedMinor: 900)) {
            try TransactionMachine.refund(&transaction, amountMinor: 900)
        }
        #expect(try TransactionMachine.refund(&transaction, amountMinor: 300) == 300)
        #expect(transaction.status == .partiallyRefunded)
        #expect(throws: TransactionRuleError.amountExceeds(allowedMinor: 500, requestedMinor: 501)) {
            try TransactionMachine.refund(&transaction, amountMinor: 501)
        }
        #expect(try TransactionMachine.refund(&transaction, amountMinor: nil) == 500)
        #expect(transaction.status == .refunded)
        #expect(throws: TransactionRuleError.notRefundable(.refunded)) { try TransactionMachine.refund(&transaction, amountMinor: 1) }
    }

    @Test func anUnclearedDebitCannotBeRefundedButCanBeCanceled() throws {
        var transaction = debit()
        #expect(throws: TransactionRuleError.notRefundable(.created)) { try TransactionMachine.refund(&transaction, amountMinor: nil) }
        try TransactionMachine.cancel(&transaction)
        #expect(transaction.status == .canceled)
        #expect(throws: TransactionRuleError.notClearable(.canceled)) { try TransactionMachine.clear(&transaction, amountMinor: nil) }
        #expect(throws: TransactionRuleError.notCancelable(.canceled)) { try TransactionMachine.cancel(&transaction) }
    }

    @Test func aCreditIsNeitherClearableNorRefundable() {
        var credit = debit()
        credit = CardTransaction(
            id: credit.id, partnerID: credit.partnerID, orderID: credit.orderID, cardID: credit.cardID, kind: .credit, currency: .kzt,
            amountMinor: 500, clearedMinor: 500, refundedMinor: 0, status: .cleared, finDocumentID: "FD", description: nil, createdAt: Date())
        #expect(throws: TransactionRuleError.notClearable(.cleared)) { try TransactionMachine.clear(&credit, amountMinor: nil) }
        #expect(throws: TransactionRuleError.notRefundable(.cleared)) { try TransactionMachine.refund(&credit, amountMinor: nil) }
    }
}
