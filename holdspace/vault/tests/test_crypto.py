"""The primitives and formats (S2 to S4): authenticated, bound to their
context, tamper-evident, never the same twice."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from holdspace.vault import crypto

KEY = bytes(range(32))


def test_equal_plaintexts_give_different_ciphertexts_S4() -> None:
    first = crypto.seal_data(KEY, b"the same words", b"ad")
    second = crypto.seal_data(KEY, b"the same words", b"ad")
    assert first != second
    nonces = {crypto.seal_data(KEY, b"x", b"ad")[2:26] for _ in range(2000)}
    assert len(nonces) == 2000  # 192-bit random nonces never repeat


def test_ciphertexts_are_bound_to_their_context_S2() -> None:
    blob = crypto.seal_data(KEY, b"words", b"field|note|1|body|k1")
    assert crypto.open_data(KEY, blob, b"field|note|1|body|k1") == b"words"
    for other in (b"field|note|2|body|k1", b"field|note|1|title|k1", b"field|note|1|body|k2"):
        with pytest.raises(crypto.CryptoError):
            crypto.open_data(KEY, blob, other)
    with pytest.raises(crypto.CryptoError):
        crypto.open_data(bytes(32), blob, b"field|note|1|body|k1")


@settings(max_examples=200, deadline=None, database=None)
@given(plaintext=st.binary(max_size=300), position=st.integers(min_value=0), bit=st.integers(0, 7))
def test_any_flipped_bit_is_detected_S3(plaintext: bytes, position: int, bit: int) -> None:
    blob = bytearray(crypto.seal_data(KEY, plaintext, b"ad"))
    blob[position % len(blob)] ^= 1 << bit
    with pytest.raises(crypto.CryptoError):
        crypto.open_data(KEY, bytes(blob), b"ad")


@settings(max_examples=100, deadline=None, database=None)
@given(
    secret=st.binary(min_size=1, max_size=64),
    position=st.integers(min_value=0),
    bit=st.integers(0, 7),
)
def test_any_flipped_bit_in_a_sealed_box_is_detected_S3(
    secret: bytes, position: int, bit: int
) -> None:
    public, private = crypto.new_keypair()
    blob = bytearray(crypto.seal_to(public, secret, b"ad"))
    blob[position % len(blob)] ^= 1 << bit
    with pytest.raises(crypto.CryptoError):
        crypto.open_sealed(private, bytes(blob), b"ad")


def test_a_sealed_box_opens_only_in_its_own_context() -> None:
    public, private = crypto.new_keypair()
    blob = crypto.seal_to(public, b"key", b"wrap|dk|c1|1")
    assert crypto.open_sealed(private, blob, b"wrap|dk|c1|1") == b"key"
    with pytest.raises(crypto.CryptoError):
        crypto.open_sealed(private, blob, b"wrap|dk|c2|1")


def test_every_ciphertext_carries_its_version() -> None:
    public, _private = crypto.new_keypair()
    params = crypto.KdfParams(1, 8, 1)
    for blob in (
        crypto.seal_data(KEY, b"x", b""),
        crypto.seal_to(public, b"x", b""),
        crypto.wrap_with_password(b"x", "pw", KEY, params, b""),
    ):
        assert blob[0] == crypto.VERSION
    assert crypto.password_params(crypto.wrap_with_password(b"x", "pw", KEY, params, b"")) == params


def test_lengths_fall_into_buckets() -> None:
    sizes = {len(crypto.seal_data(KEY, b"a" * n, b"")) for n in range(0, 60)}
    assert len(sizes) == 1  # short texts all look alike
    assert len(crypto.seal_data(KEY, b"a" * 100, b"")) == len(
        crypto.seal_data(KEY, b"a" * 120, b"")
    )
    for n in (0, 63, 64, 1000, 16383, 16384, 40000):
        assert crypto.open_data(KEY, crypto.seal_data(KEY, b"z" * n, b""), b"") == b"z" * n


def test_the_password_key_needs_the_instance_key_S12() -> None:
    params = crypto.KdfParams(1, 8, 1)
    blob = crypto.wrap_with_password(b"private", "a password", KEY, params, b"ad")
    assert crypto.unwrap_with_password(blob, "a password", KEY, b"ad") == b"private"
    with pytest.raises(crypto.CryptoError):
        crypto.unwrap_with_password(blob, "a password", bytes(32), b"ad")
    with pytest.raises(crypto.CryptoError):
        crypto.unwrap_with_password(blob, "another password", KEY, b"ad")
