package entropy

import "testing"

func TestLooksRandom(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"Zq8wLm3Rt9Vx2Kp7", true},
		{"x49I7zHlKkEm6H0zEC6EuM0QvSsBWeeK", true},
		{"DOj3KVl09DUUcClgPmQRnsR6dsO9XMkuXoWn_RmX", true},
		{"7f3a9c2e41b85d06e9a1c4f7b2d83e5a", true},
		{"fh1nccqVknjTHSbbAFrQJwc2hIIXeS+fVwqKWxfc", true},
		{"SuperSecretPassword123", false},
		{"my_database_password", false},
		{"tokenArrayValue", false},
		{"P@ssw0rd123!", false},
		{"aaaaaaaaaaaaaaaa", false},
		{"abcdefghijklmnop", false},
		{"1234567890123456", false},
		{"0123456789abcdef", false},
		{"hello_world_config", false},
		{"short", false},
		{"qwerty123456", false},
		{"ResourceGroupName", false},
		{"A1B2C3D4E5F6G7H8I9J0", false},
	}
	for _, tt := range tests {
		if got := LooksRandom([]byte(tt.in)); got != tt.want {
			t.Errorf("LooksRandom(%q) = %v, want %v (%+v)", tt.in, got, tt.want, Analyze([]byte(tt.in)))
		}
	}
}

func TestWordFraction(t *testing.T) {
	if got := wordFraction([]byte("p4ssw0rd")); got != 1 {
		t.Errorf("wordFraction(p4ssw0rd) = %v, want 1", got)
	}
	if got := wordFraction([]byte("qZ8x")); got != 0 {
		t.Errorf("wordFraction(qZ8x) = %v, want 0", got)
	}
}

func FuzzLooksRandom(f *testing.F) {
	f.Add([]byte("Zq8wLm3Rt9Vx2Kp7"))
	f.Add([]byte("p4ssw0rd"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p := Analyze(b)
		if p.WordFraction < 0 || p.WordFraction > 1 || p.Distinct > len(b) {
			t.Fatalf("profile out of range: %+v", p)
		}
		_ = LooksRandom(b)
	})
}
