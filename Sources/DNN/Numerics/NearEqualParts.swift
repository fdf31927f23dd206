/// Part `part` of 0..<count cut into `parts` contiguous ranges whose sizes differ by at most one
/// (the larger ones last): count·part/parts ..< count·(part + 1)/parts. The one split of work
/// between threads (columns of a product, rows of the sweep, a batch's columns, slices of the
/// parameters) and of examples between the processes of a distributed job.
func nearEqualPart(_ part: Int, of parts: Int, count: Int) -> Range<Int> {
    (count * part / parts)..<(count * (part + 1) / parts)
}
