import Foundation

/// Each distinct text of a column once, by code (0, 1, … in the order first seen), looked up by
/// its bytes: no String is made for a text already seen, and the hash is a plain multiplicative
/// one over 8 bytes at a time (the standard library's seeded SipHash was a fifth of reading a
/// file of categories).
struct TextInterner {
    /// The texts by code.
    private(set) var values = [String]()
    /// Every text's bytes one after another, and where each starts (code k: starts[k]..<starts[k+1]).
    private let arena = GrowingBuffer<UInt8>(capacity: 1024)
    private let starts = GrowingBuffer<Int>(capacity: 64)

    init() { starts.append(0) }
    /// Open addressing: a code + 1 per slot (0: empty), and the slot's hash.
    private var slots = [Int32](repeating: 0, count: 64)
    private var hashes = [UInt64](repeating: 0, count: 64)

    /// The code of the bytes [start, end), added when new.
    @inline(__always)
    mutating func code(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Int32 {
        let length = end - start, hash = Self.hash(start, length)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        let found: Int32? = slots.withUnsafeBufferPointer { slots in
            hashes.withUnsafeBufferPointer { hashes in
                let offsets = starts.storage, bytes = arena.storage
                while true {
                    let entry = slots[slot]
                    if entry == 0 { return nil }
                    let code = Int(entry - 1)
                    if hashes[slot] == hash && offsets[code + 1] - offsets[code] == length
                        && memcmp(bytes + offsets[code], start, length) == 0
                    {
                        return Int32(code)
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
        if let found { return found }
        let code = Int32(values.count)
        arena.append(contentsOf: start, count: length)
        starts.append(arena.count)
        values.append(String(decoding: UnsafeBufferPointer(start: start, count: length), as: UTF8.self))
        slots[slot] = code + 1
        hashes[slot] = hash
        if 2 * values.count > slots.count { grow() }
        return code
    }

    /// Doubles the table, placing every code again.
    private mutating func grow() {
        let size = 2 * slots.count, mask = size - 1
        var newSlots = [Int32](repeating: 0, count: size), newHashes = [UInt64](repeating: 0, count: size)
        for slot in slots.indices where slots[slot] != 0 {
            var place = Int(truncatingIfNeeded: hashes[slot]) & mask
            while newSlots[place] != 0 { place = (place + 1) & mask }
            newSlots[place] = slots[slot]
            newHashes[place] = hashes[slot]
        }
        (slots, hashes) = (newSlots, newHashes)
    }

    /// A hash of `length` bytes: 8 at a time multiplied in, mixed at the end (not seeded: the
    /// texts come from one file, and a collision costs a comparison, not a wrong answer).
    @inline(__always)
    static func hash(_ start: UnsafePointer<UInt8>, _ length: Int) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 &* UInt64(length &+ 1)
        var k = 0
        let raw = UnsafeRawPointer(start)
        while k + 8 <= length {
            h = (h ^ raw.loadUnaligned(fromByteOffset: k, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            k += 8
        }
        var tail: UInt64 = 0
        for b in 0..<(length - k) { tail |= UInt64(start[k + b]) << (8 * UInt64(b)) }
        h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
        return h ^ (h >> 29)
    }
}
