package io.misalignstream.simhash;

/**
 * A view of part of a string, so that hashing an n-gram allocates nothing. The text is set once
 * per fingerprint: storing a reference costs a GC write barrier, storing the ints does not.
 */
final class CharWindow implements CharSequence {
    private String text;
    private int start;
    private int end;

    void over(String text) {
        this.text = text;
    }

    CharWindow range(int start, int end) {
        this.start = start;
        this.end = end;
        return this;
    }

    @Override
    public int length() {
        return end - start;
    }

    @Override
    public char charAt(int index) {
        return text.charAt(start + index);
    }

    @Override
    public CharSequence subSequence(int from, int to) {
        return text.substring(start + from, start + to);
    }

    @Override
    public String toString() {
        return text.substring(start, end);
    }
}
