"""Given names and surnames common in England and Wales, for the identifiable-details guard.

The guard uses these to tell "a boy called sam" from "a boy called earlier": a word in these
lists, or one that is not ordinary English at all, can be a name. The lists are the team's own
selection of names that have been common among children and parents in England and Wales over
the last few decades (the kind of names the ONS baby-name tables report), written out by hand.
Names that are also everyday words people type in lower case (will, may, hope, mark, bill…)
are left out on purpose: the guard still catches them when they are capitalised after a cue.
"""

from __future__ import annotations

_GIVEN = """
aaliyah aaron abbie abby abdul abdullah abi abigail ada adam adrian ahmed aidan aiden aimee aisha
alan albert albie alex alexander alexandra alexis alfie alfred ali alice alicia alisha alison
amani amanda amber amelia amelie amir amy ana andre andrea andrew andy angela angus anna annabelle
anne annie anthony antonio archie aria ariana arlo arran arthur asher ashley aston aurora austin
 ava ayaan ayla aysha barry beatrice bella ben benjamin bethany betty beverley bianca billy
blake bobby bonnie bradley brandon brian brooke bryony caitlin caleb callum calvin cameron
caoimhe carl carla carly caroline casey cassie catherine cerys chantelle charlie charlene charles
charlotte chelsea cheryl chloe chris christian christina christine christopher ciara ciaran
claire clara clare cody colin connor conor courtney craig daisy dale damian damien daniel
daniella danielle danny darcey darcie darcy darren dave david dawn dean debbie deborah declan
demi denise dennis derek dexter diane dominic donna dylan eddie eden edward eleanor elijah
elise eliza elizabeth ella ellie elliot elliott ellis eloise elsie emilia emily emma eric erin
ethan eva evan evelyn evie ezra faye felicity felix finlay finley finn florence frances
francesca frankie freddie freya gabriel gail gareth gary gemma george georgia georgina gerald
gracie graham gregory hamza hannah harley harper harriet harrison harry harvey hassan hayden
hayley heather heidi helen henry hollie holly hugo ian ibrahim imogen isaac isabel isabella
isabelle isha isla ismail ivy izzy jack jackie jackson jacob jade jaden jake james jamie
jane janet jared jasmine jason jay jayden jaxon jaydon jean jenna jennifer jenny jeremy jesse
jessica jessie jill joanne jodie joe joel joey john johnny jon jonathan jordan joseph josh
joshua joyce jude julia julie justin kai kaiden kara karen kate katherine kathleen kathryn katie
kayden kayla keira keith kelly kenneth kerry kevin kian kieran kim kirsty kyle kylie lacey
lara laura lauren layla leah lee leighton leo leon leonardo levi lewis lexi liam lilly lily
lindsey lisa logan lola louie louis louise luca lucas lucy luke lydia lynn lynne maddison
madison maisie maisy malachi marcus margaret maria marie martin mary maryam mason matilda
matthew maya megan melissa mia michael michaela michelle mila millie mohamed mohammad mohammed
molly muhammad mustafa naomi natalie natasha nathan neil nicholas nicola nicole niamh noah
nora oakley oliver olivia ollie omar oscar owen paige pamela patrick paul paula peter
phoebe phoenix phillip piper poppy priya rachel rebecca reece reggie reuben rhys riley robert
robyn ronnie rory rosie ross rowan ruby rupert ryan sadie saffron sally sam samantha
sami samuel sandra sara sarah scarlett scott sean sebastian shannon sharon shaun sheila sian
sienna simon sofia sonny sophia sophie stacey stanley stephanie stephen steven stuart susan
sylvie tanya tara teddy terry tess theo theodore thomas tia tiana tilly timothy toby tom tommy
tony tracey tracy tyler vanessa victoria vincent wendy william willow yasmin yusuf zac zach
zachary zain zara zayn zoe zoey
abena ade adeel aleksander amara amira antoni aryan ayden bilal brenda chidi daria dominika dwayne
eesa emeka esi fatima femi filip hafsa hania idris ife ilyas inaya jakub jermaine kacper kemi khadija
kofi kwame lena leanne lorraine maja musa natalia nia nikola olu oliwia rayyan shane shanice shirley
szymon tayo tina tobi tyrone usman wayne wiktoria zainab zak zakariya zayan zuzanna
"""

_SURNAMES = """
adams ahmed akhtar ali allen anderson armstrong atkinson bailey baker barker barnes bell
bennett begum berry bibi booth bradley brooks brown burton butler campbell carter chapman clark
clarke cole collins cook cooper cox davies davis dawson dixon doherty edwards ellis evans fisher
fletcher foster fox gibson gill graham grant gray green griffiths hall harris harrison hart
harvey hill holmes hughes hunt hussain jackson james jenkins johnson johnston jones kaur kelly
kennedy khan king knight lawrence lee lewis lloyd marshall martin mason matthews mcdonald
miah miller mills mitchell moore morgan morris murphy murray owen palmer parker patel payne
pearce pearson phillips poole powell price rahman reid reynolds richards richardson roberts
robertson robinson rogers rose ross russell scott shaw simpson singh smith spencer stevens
stewart stone taylor thomas thompson thomson turner walker walsh ward watson webb wells west
white wilkinson williams wilson wood woods wright young
"""

# Grandparents' generation, Irish and Gaelic names, and the short forms people use for one another
# ("nan Pauline", "Deano and his mum"): names the lists above missed.
_MORE_GIVEN = """
pauline maureen linda patricia barbara jacqueline elaine gillian valerie yvonne doreen irene eileen
brenda janet sandra sheila siobhan aoife saoirse sinead roisin deirdre grainne orla eoin oisin
padraig seamus cormac darragh deano tommo jacko robbo gaz dazza kev stevo
"""
# Surnames of families from the many communities of England's towns, beyond the commonest.
_MORE_SURNAMES = """
mahmood o'brien obrien mcallister kowalski okonkwo nowak wisniewski mensah okafor adeyemi shah byrne
doyle mccarthy macdonald mckenzie mclean lewandowski kaminski popescu ionescu
"""

GIVEN_NAMES = frozenset(_GIVEN.split()) | frozenset(_MORE_GIVEN.split())
SURNAMES = frozenset(_SURNAMES.split()) | frozenset(_MORE_SURNAMES.split())
