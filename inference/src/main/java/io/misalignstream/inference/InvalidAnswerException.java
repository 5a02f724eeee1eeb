package io.misalignstream.inference;

/** A backend answered, but the answer is not valid for the request even after asking once more: the input is dead-lettered. */
public class InvalidAnswerException extends RuntimeException {

    public InvalidAnswerException(String message) {
        super(message);
    }
}
