package entropy

import "strings"

// dictionary holds common English and programming words of four or more letters, the
// vocabulary of identifiers, placeholders and human-chosen passwords. A string mostly made of
// them is not key material. The list was written for this package.
var dictionary = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(wordList) {
		m[w] = true
	}
	return m
}()

// maxWordLen bounds the dictionary lookups made at each position.
const maxWordLen = 14

const wordList = `
able about access account action active admin agent alert alias alpha always amazon analytics
android apple application apply archive array asset auth author authorization auto backend
backup badge bank base basic batch bearer begin beta bill binary bind blob block blue body boot
bool bot bottom bound branch bridge bucket buffer build bundle button byte cache call callback
camel cancel card case cert certificate chain change changeme channel chart check child china
class clean clear click client clone close cloud cluster code color column command comment
commit common company compare compute config configuration connect connection console consumer
contact container content context control cookie copy core count country cred credential
credentials cron crypto current custom customer daily dark data database date debug decode
default define delete demo deploy deployment design detail develop developer device dialog
digest direct disable discord display docker document domain double down download draft
dragon drive driver drop dummy dynamic each east edge edit email empty enable encode encrypt
encrypted end endpoint engine enter entry environment error event example exchange exec exit
expire export external extra false fake feature fetch field file filter final find first
flag float flow folder font football force form format forward frame free from front full
function gateway general generate generic github gitlab global google grant graph green group
guest hash head header health hello help hidden history home host hour http https icon identity
image import index info input insert install instance integer internal invalid issue item java
job join json jwt keep kernel key keys label lambda language last layer layout leader left
length level library license limit line link linux list listen live load local lock log login
logout long lookup love main manager manual mark master match max media member memory menu
merge message meta method metric middle minute mobile mock mode model module money monitor month
more mount move name native network never news next node none normal note notify null number
object offset okta old online open oauth operator option order origin output owner package
page panel param parent parse partner pass passphrase passwd password path pattern payload
payment peer pending permission person phone pipeline place placeholder plain platform player
plugin point policy pool port post power prefix preview primary print private process prod
product production profile project prompt property protocol provider proxy public publish pull
push query queue quick random range read real realm record redacted redirect refresh region
register registry release remote remove render replace reply repo report request require
reset resolve resource response rest result return review right role root route router rule
runner runtime sample sandbox save scale schema scope screen script search second secret
section secure security select send sender server service session setting settings setup
shadow share shell short show sign signature signing simple single site size slack slave
small socket some sort source space special stack stage staging start state static status
step storage store stream string style subject submit success summer sunshine super superman
support switch sync system table target task team temp template tenant test text theme thing
this time title token tokens tool total trace track traffic transfer trust type update upload
user username users valid value values variable vault vendor verify version view visible
volume wallet warning watch webhook week welcome west what when where white widget window
winter word work worker world write wrong year your yellow zone qwerty letmein iloveyou
monkey shadow princess baseball soccer hockey batman trustno abcd wxyz
`

// leet undoes digit and symbol substitutions common in human-chosen passwords.
var leet = func() (t [256]byte) {
	for i := range t {
		t[i] = byte(i)
		if i >= 'A' && i <= 'Z' {
			t[i] = byte(i) + 'a' - 'A'
		}
	}
	for _, p := range []string{"0o", "1i", "3e", "4a", "5s", "7t", "@a", "$s"} {
		t[p[0]] = p[1]
	}
	return t
}()

// wordFraction returns the fraction of b covered by dictionary words, matching greedily the
// longest word at each position.
func wordFraction(b []byte) float64 {
	if len(b) == 0 {
		return 0
	}
	norm := make([]byte, len(b))
	for i, c := range b {
		norm[i] = leet[c]
	}
	covered := 0
	for i := 0; i < len(norm); {
		n := longestWord(norm[i:])
		if n == 0 {
			i++
			continue
		}
		covered += n
		i += n
	}
	return float64(covered) / float64(len(b))
}

func longestWord(b []byte) int {
	for n := min(len(b), maxWordLen); n >= 4; n-- {
		if dictionary[string(b[:n])] {
			return n
		}
	}
	return 0
}
