// SipHash-2-4 over 64-bit words for the eBPF sensor's no-match memo keys (sensor.bpf.c `exec_key`).
#ifndef SECO_SIPHASH_H
#define SECO_SIPHASH_H

// SipHash-2-4 (Aumasson & Bernstein, 2012) over 64-bit words, keyed with a random key from user space: an
// exec's memo key is a 64-bit digest of what its record says, and a process in a container controls most of
// that (argv, cwd); with a secret key it cannot craft a record that collides with one judged harmless.
struct sip {
  u64 v0, v1, v2, v3;
};

#define ROTL(x, b) (((x) << (b)) | ((x) >> (64 - (b))))

static __always_inline void sip_round(struct sip *s) {
  s->v0 += s->v1; s->v1 = ROTL(s->v1, 13); s->v1 ^= s->v0; s->v0 = ROTL(s->v0, 32);
  s->v2 += s->v3; s->v3 = ROTL(s->v3, 16); s->v3 ^= s->v2;
  s->v0 += s->v3; s->v3 = ROTL(s->v3, 21); s->v3 ^= s->v0;
  s->v2 += s->v1; s->v1 = ROTL(s->v1, 17); s->v1 ^= s->v2; s->v2 = ROTL(s->v2, 32);
}

static __always_inline void sip_init(struct sip *s, const struct sensor_config *c) {
  s->v0 = c->key[0] ^ 0x736f6d6570736575ULL;
  s->v1 = c->key[1] ^ 0x646f72616e646f6dULL;
  s->v2 = c->key[0] ^ 0x6c7967656e657261ULL;
  s->v3 = c->key[1] ^ 0x7465646279746573ULL;
}

static __always_inline void sip_word(struct sip *s, u64 m) {
  s->v3 ^= m;
  sip_round(s);
  sip_round(s);
  s->v0 ^= m;
}

static __always_inline u64 sip_final(struct sip *s, u64 len) {
  sip_word(s, len);
  s->v2 ^= 0xff;
  sip_round(s);
  sip_round(s);
  sip_round(s);
  sip_round(s);
  return s->v0 ^ s->v1 ^ s->v2 ^ s->v3;
}

static __always_inline void sip_bytes(struct sip *s, const void *p, u32 words) {
  const u64 *w = p;
  for (u32 i = 0; i < words; i++) sip_word(s, w[i]);
}

#endif
