/// The documented payout test cards (merchant-api.md §6.2). Only the masked card is stored with a payout card
/// token, so the outcome is looked up by mask (first six and last four digits, unique among these cards).
/// Any other card is refused as nonexistent (10032), as on the purchase side [inferred].
public enum PayoutTestCards {
    static let plans: [String: PayoutPlan] = [
        "4671593866478252": .success,
        "5325349472901311": .failure(code: PayoutRefusal.serviceUnavailable),
        "4556046085041740": .failure(code: PayoutRefusal.contactIssuer),
        "5543974702876045": .failure(code: PayoutRefusal.insufficientBalance),
        "5507841999732294": .delayed(code: nil),
        "4532676596620704": .delayed(code: PayoutRefusal.contactIssuer),
        "6204500338419360939": .success,
        "629656013969216940": .success,
        "62861819783765929": .success,
    ]

    static let byMask: [String: PayoutPlan] = Dictionary(uniqueKeysWithValues: plans.map { (CardNumber.mask($0.key), $0.value) })

    /// The plan of a payout to the card with this mask.
    public static func plan(mask: String) -> PayoutPlan {
        byMask[mask] ?? .failure(code: PayoutRefusal.wrongCardNumber)
    }

    public static func description(of code: Int) -> String {
        switch code {
        case PayoutRefusal.insufficientBalance: return "Insufficient funds on the payout balance, top it up"
        case PayoutRefusal.serviceUnavailable: return "Payment error: service unavailable, retry later"
        case PayoutRefusal.contactIssuer: return "Payment error: contact the issuing bank"
        case PayoutRefusal.wrongCardNumber: return "Wrong or nonexistent card number"
        default: return "Payout error"
        }
    }
}
