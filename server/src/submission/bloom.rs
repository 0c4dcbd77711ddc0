//! A split-block Bloom filter (the layout Parquet specifies): each key sets one bit in
//! each of the eight 32-bit words of one 32-byte block, so a lookup reads a single
//! cache line. The ledger asks it first whether a nullifier might have been counted:
//! nearly all are new, and "no" is then certain after one memory access.
//!
//! Keys are nullifiers, HMAC outputs: already uniform, so their bytes are used as the
//! hash, and nobody without the server's key can choose them to crowd the filter.

use crate::submission::admit::Nullifier;

/// Multipliers that spread one 32-bit hash over the eight words (the Parquet
/// specification's salts).
const SALT: [u32; 8] =
    [0x47b6_137b, 0x4497_4d91, 0x8824_ad5b, 0xa2b7_289d, 0x7054_95c7, 0x2df1_424b, 0x9efc_4947, 0x5c6b_fb31];

/// Bits per key: about 0.1 % false positives at the planned number of keys.
const BITS_PER_KEY: usize = 16;

/// Bits per block.
const BLOCK_BITS: usize = 256;

#[derive(Debug, Clone)]
pub struct Filter {
    blocks: Vec<[u32; 8]>,
    /// How many keys it was sized for; beyond that it should be rebuilt larger.
    capacity: usize,
    /// Keys that set at least one bit.
    len: usize,
}

impl Filter {
    /// An empty filter for `capacity` keys (at least a few thousand).
    pub fn with_capacity(capacity: usize) -> Self {
        let capacity = capacity.max(4096).next_power_of_two();
        Self { blocks: vec![[0; 8]; capacity * BITS_PER_KEY / BLOCK_BITS], capacity, len: 0 }
    }

    /// Whether it holds more keys than it was sized for.
    pub fn is_full(&self) -> bool {
        self.len > self.capacity
    }

    /// Adds `key`. One it already reports (a run merged into a bigger one is added
    /// again) does not count towards its capacity.
    pub fn insert(&mut self, key: &Nullifier) {
        let (block, mask) = self.locate(key);
        let mut changed = false;
        for (word, bit) in self.blocks[block].iter_mut().zip(mask) {
            changed |= *word & bit == 0;
            *word |= bit;
        }
        self.len += usize::from(changed);
    }

    /// `false`: certainly never inserted. `true`: probably inserted.
    pub fn may_contain(&self, key: &Nullifier) -> bool {
        let (block, mask) = self.locate(key);
        self.blocks[block].iter().zip(mask).all(|(word, bit)| word & bit != 0)
    }

    fn locate(&self, key: &Nullifier) -> (usize, [u32; 8]) {
        let word = |at: usize| u32::from_le_bytes([key[at], key[at + 1], key[at + 2], key[at + 3]]);
        // The block from one word, scaled to the number of blocks; the bits within it
        // from another word.
        let block = (u64::from(word(0)) * self.blocks.len() as u64) >> 32;
        let bits = word(4);
        (block as usize, SALT.map(|salt| 1 << (bits.wrapping_mul(salt) >> 27)))
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn whatever_was_inserted_is_reported(keys in prop::collection::vec(any::<[u8; 16]>(), 0..2000)) {
            let mut filter = Filter::with_capacity(keys.len());
            for key in &keys {
                filter.insert(key);
            }
            prop_assert!(keys.iter().all(|key| filter.may_contain(key)));
        }
    }

    #[test]
    fn few_keys_that_were_not_inserted_are_reported() {
        // Counter-mode "random" keys: distinct, and uniform enough for a filter.
        let key = |n: u64| -> Nullifier {
            use sha2::Digest;
            sha2::Sha256::digest(n.to_le_bytes())[..16].try_into().unwrap()
        };
        let mut filter = Filter::with_capacity(100_000);
        for n in 0..100_000 {
            filter.insert(&key(n));
        }
        assert!(!filter.is_full());
        let false_positives = (100_000..200_000).filter(|&n| filter.may_contain(&key(n))).count();
        // Sized for 131,072 keys at 16 bits each: about 0.05 % expected.
        assert!(false_positives < 300, "{false_positives} false positives in 100,000");
        for n in 0..100_000 {
            filter.insert(&key(n));
        }
        assert!(!filter.is_full(), "keys added again do not fill it");
        for n in 200_000..240_000 {
            filter.insert(&key(n));
        }
        assert!(filter.is_full(), "sized for 131,072 keys, it holds about 140,000");
    }
}
