/// Values appended one at a time into memory of its own, grown by doubling: a column being read.
/// Appending checks no sharing (unlike an array's append inside an array of builders, which did
/// for every cell, a tenth of reading a file of numbers).
final class GrowingBuffer<Element: BitwiseCopyable> {
    /// The values so far, valid until the next append.
    private(set) var storage: UnsafeMutablePointer<Element>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        storage = .allocate(capacity: self.capacity)
    }

    deinit { storage.deallocate() }

    @inline(__always)
    func append(_ value: Element) {
        if count == capacity { grow() }
        storage[count] = value
        count += 1
    }

    /// Appends the `added` values at `source`.
    func append(contentsOf source: UnsafePointer<Element>, count added: Int) {
        while count + added > capacity { grow() }
        (storage + count).update(from: source, count: added)
        count += added
    }

    /// Appends `count` values read `stride` apart from `source`.
    func append(from source: UnsafePointer<Element>, stride: Int, count added: Int) {
        while count + added > capacity { grow() }
        for k in 0..<added { storage[count + k] = source[k * stride] }
        count += added
    }

    private func grow() {
        let larger = UnsafeMutablePointer<Element>.allocate(capacity: 2 * capacity)
        larger.moveInitialize(from: storage, count: count)
        storage.deallocate()
        storage = larger
        capacity *= 2
    }

    /// The values as an array; the buffer is left empty, its memory freed.
    func take() -> [Element] {
        let values = [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            buffer.baseAddress!.moveInitialize(from: storage, count: count)
            initialized = count
        }
        storage.deallocate()
        (storage, capacity, count) = (.allocate(capacity: 16), 16, 0)
        return values
    }
}
